set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_cifar10_dcae.png'
$S0 << EOD
1 154.51387786865234
2 60.48497200012207
3 30.80571174621582
4 24.630207061767578
EOD
set title "CIFAR-10: dcae training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_cifar10_dcae.svg'
$S0 << EOD
1 154.51387786865234
2 60.48497200012207
3 30.80571174621582
4 24.630207061767578
EOD
set title "CIFAR-10: dcae training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder"

unset output
reset
