set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_mnist_dcae.png'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
set title "MNIST: dcae training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_mnist_dcae.svg'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
set title "MNIST: dcae training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder"

unset output
reset
